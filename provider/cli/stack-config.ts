// The CLI's side of "one configuration story": the same settings the provider reads from
// the stack (`bitsight:apiUrl`, `bitsight:usersFile`, `bitsight:maxConcurrency`), read from
// `Pulumi.<stack>.yaml` beside Pulumi.yaml. The token is not: a stack's secrets are
// encrypted with the stack's key, which only the Pulumi CLI holds, so the CLI takes it
// from BITSIGHT_API_TOKEN and says so when the stack file holds an encrypted one.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { CONFIG_TOKEN, ENV_TOKEN, type ConfigSource } from "../config/settings";
import { projectRoot } from "../program/project-root";
import { StateFileError } from "../base/errors";

export interface StackConfig extends ConfigSource {
    /** Pulumi.<stack>.yaml, as shown in messages. */
    file: string;
    /** The project root: `bitsight:usersFile` is relative to it, as for the program. */
    root: string;
}

/**
 * `Pulumi.<stack>.yaml` of the project at or above `cwd`: the one `stack` names, else the
 * only stack file there is; undefined when there is none, or several and no `--stack`.
 */
export function readStackConfig(cwd: string, stack: string | undefined): StackConfig | undefined {
    const root = projectRoot(cwd, "");
    let file: string;
    if (stack !== undefined) {
        file = path.join(root, `Pulumi.${stack}.yaml`);
        if (!fs.existsSync(file)) throw new StateFileError(`--stack ${stack}: there is no ${file}; run \`pulumi stack init ${stack}\` there, or name another stack`);
    } else {
        const found = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f));
        if (found.length !== 1) return undefined;
        file = path.join(root, found[0]!);
    }
    const shown = path.relative(cwd, file) || file;
    let doc: unknown;
    try {
        doc = parseYaml(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new StateFileError(`${shown} cannot be read as a stack file: ${(err as Error).message.split("\n")[0]}`, { cause: err });
    }
    const config = ((doc as { config?: unknown } | null)?.config ?? {}) as Record<string, unknown>;
    const encryptedToken = typeof config[CONFIG_TOKEN] === "object" && config[CONFIG_TOKEN] !== null;
    return {
        file: shown,
        root,
        get: (key) => (key === CONFIG_TOKEN ? undefined : typeof config[key] === "string" || typeof config[key] === "number" ? String(config[key]) : undefined),
        describe: (key) => `${key} in ${shown}`,
        missingToken:
            `No Bitsight API token: set the ${ENV_TOKEN} environment variable.` +
            (encryptedToken ? ` ${shown} holds ${CONFIG_TOKEN}, but encrypted with the stack's key, which only the Pulumi CLI can decrypt.` : ""),
    };
}
