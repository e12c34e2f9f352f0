// The one error hierarchy, on the bottom floor so that every room can throw without
// importing the room above it. Every error this package throws is a BitsightError: a
// program can tell "the provider refused" from a bug of its own with one instanceof, and
// each kind below names who has to act (the person who wrote the file, the settings, the
// command line, the API). The API's own errors extend it in client/errors.ts.

export class BitsightError extends Error {
    override name = "BitsightError";
    /** How many attempts were made, when the request was retried. */
    attempts?: number;
    /** How long the attempts took, waits included. */
    elapsedMs?: number;

    /** `cause`: the error this one explains (its status and type stay reachable, not only its words). */
    constructor(message?: string, options?: ErrorOptions) {
        super(message, options);
    }
}

/** A setting (stack config or environment variable) is missing, malformed or unsafe. */
export class ConfigurationError extends BitsightError {
    override name = "ConfigurationError";
}

/** The command line is wrong: an unknown command or option, a missing argument. */
export class UsageError extends BitsightError {
    override name = "UsageError";
    /** The command whose usage to show with the error. */
    constructor(
        message: string,
        readonly command?: string,
        options?: ErrorOptions,
    ) {
        super(message, options);
    }
}

/** Why a file could not be read, as the end of a sentence that starts with its name. */
export class FileReadError extends BitsightError {
    override name = "FileReadError";
}

/** The file changed on disk since it was read; nothing was written. */
export class FileChangedError extends BitsightError {
    override name = "FileChangedError";
}

/** A command would overwrite a file that exists, and was not told to (`--force`); nothing was written. */
export class FileExistsError extends BitsightError {
    override name = "FileExistsError";
}

/** A stack export (`--state`) or a stack's settings file that cannot be used. */
export class StateFileError extends BitsightError {
    override name = "StateFileError";
}

/** Something the provider itself got wrong (a file it wrote does not read back): a bug to report, nothing for the user to fix. */
export class InternalError extends BitsightError {
    override name = "InternalError";
    constructor(message: string, options?: ErrorOptions) {
        super(`${message} This is a bug in pulumi-bitsight; please report it, with the file if you can.`, options);
    }
}
