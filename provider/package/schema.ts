// One JSON Schema (schema/user.schema.json) validates a user wherever it is declared:
// the resource's `check` and, later, each entry of a users file. Messages are written
// for the person who made the mistake: which field, what is wrong, what is allowed.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import * as fs from "fs";
import * as path from "path";
import { findInvisible, invisibleMessage } from "../escape/invisible";

/** Where the schema files live: `schema/` at the package root (two folders above dist/provider/). */
export const SCHEMA_DIR = path.resolve(__dirname, "..", "..", "..", "schema");

export function loadSchema(file: string): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), "utf8")) as Record<string, unknown>;
}

export type SchemaFile = "user.schema.json" | "users-file.schema.json";

let ajv: Ajv | undefined;

/** One ajv for both schemas: the users file refers to the user schema's definitions by relative $ref. */
function validator(file: SchemaFile): ValidateFunction {
    if (!ajv) {
        ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
        for (const f of ["user.schema.json", "users-file.schema.json"] as const) ajv.addSchema(loadSchema(f), f);
    }
    return ajv.getSchema(file)!;
}

/**
 * A problem with one field: `path` is the list of keys leading to it (empty for the
 * whole object); `at` says whether it is about the value there, the key itself (an
 * unknown field), or a key missing from the object that holds it.
 */
export interface FieldProblem {
    path: string[];
    message: string;
    at: "value" | "key" | "missing";
}

export function validateAgainst(file: SchemaFile, value: unknown): FieldProblem[] {
    const validate = validator(file);
    if (validate(value)) return [];
    return describeSchemaErrors(validate.errors ?? []);
}

export function validateUser(value: unknown): FieldProblem[] {
    return validateAgainst("user.schema.json", value);
}

/** Turns ajv's errors into one message a field (the first ajv reports for it). */
export function describeSchemaErrors(errors: ErrorObject[]): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    for (const err of errors) {
        // `propertyNames` is reported twice (the inner enum and the wrapper); keep the inner one.
        // `if` says only that its `then` or `else` failed; their own errors say how.
        if (err.keyword === "propertyNames" || err.keyword === "if") continue;
        const problem = describe(err);
        const key = problem.path.join("\u0000");
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push(problem);
    }
    return problems;
}

function pointerToPath(pointer: string): string[] {
    if (pointer === "") return [];
    return pointer
        .slice(1)
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

const NOUNS: Record<string, string> = {
    role: "a Bitsight role",
    status: "a Bitsight user status",
    onDelete: "an onDelete choice",
};

function describe(err: ErrorObject): FieldProblem {
    const at = pointerToPath(err.instancePath);
    const field = at[at.length - 1] ?? "";
    const params = err.params as Record<string, unknown>;
    switch (err.keyword) {
        case "required": {
            const missing = String(params["missingProperty"]);
            return { path: [...at, missing], message: "is required", at: "missing" };
        }
        case "additionalProperties": {
            const extra = String(params["additionalProperty"]);
            // ajv's verbose mode hands over the schema object that has the `properties`.
            const allowed = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
            const guess = closest(extra, allowed);
            const hint = guess ? `did you mean "${guess}"? ` : "";
            return {
                path: [...at, extra],
                message: `is not a known field; ${hint}allowed fields are ${allowed.join(", ")}`,
                at: "key",
            };
        }
        case "enum": {
            const allowed = (params["allowedValues"] as unknown[]).map(String);
            if (err.propertyName !== undefined) {
                return {
                    path: [...at, err.propertyName],
                    message: `is not a known feature; use one of ${allowed.join(", ")}`,
                    at: "key",
                };
            }
            const noun = NOUNS[field] ?? "an allowed value";
            const guess = typeof err.data === "string" ? closest(err.data, allowed) : undefined;
            const hint = guess ? ` (did you mean "${guess}"?)` : "";
            return {
                path: at,
                message: `${JSON.stringify(err.data)} is not ${noun}${hint}; use one of ${allowed.join(", ")}`,
                at: "value",
            };
        }
        case "type":
            if (field === "users" && params["type"] === "array") {
                return { path: at, message: `must be a list of users, each starting with \`- email:\`, not ${typeName(err.data)}`, at: "value" };
            }
            if (field === "role" && Array.isArray(err.data)) {
                return { path: at, message: "takes exactly one role slug, not a list: Bitsight allows one role per user", at: "value" };
            }
            return { path: at, message: `must be ${expected(String(params["type"]))}, not ${typeName(err.data)}`, at: "value" };
        case "pattern":
            return { path: at, message: patternMessage(at[at.length - 2] === "formerEmails" ? "email" : field, err.data), at: "value" };
        case "minimum":
        case "maximum":
            return { path: at, message: field === "maxRemovalShare" ? "must be a share from 0 to 1 (0.25 is 25 %)" : `${err.message ?? "is out of range"}`, at: "value" };
        case "minLength":
            return { path: at, message: "must not be empty", at: "value" };
        case "maxLength":
            return { path: at, message: `must be at most ${String(params["limit"])} characters`, at: "value" };
        default:
            return { path: at, message: err.message ?? "is not valid", at: "value" };
    }
}

function patternMessage(field: string, data: unknown): string {
    const hidden = typeof data === "string" ? findInvisible(data) : undefined;
    if (hidden) return invisibleMessage(hidden.char, ` at character ${hidden.index + 1}`);
    const shown = JSON.stringify(data);
    if (field === "email") return emailMessage(shown, String(data));
    if (field === "group") {
        return `${shown} is not an access-group GUID (like 8c0f6c3e-2b5a-4d0e-9f7a-1b2c3d4e5f60); list the account's groups with GET /ratings/v1/access-groups`;
    }
    // The other patterns (names, group names, descriptions) only refuse blank or invisible text.
    return "must not be blank";
}

/** Why an email is refused: the reviewer should learn what to change, not only that it is wrong. */
function emailMessage(shown: string, email: string): string {
    const foreign = /[^\x00-\x7f]/u.exec(email)?.[0];
    if (foreign) {
        const cp = foreign.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
        return (
            `${shown} contains "${foreign}" (U+${cp}): emails here are ASCII only, so that a look-alike letter from another script cannot pass review; ` +
            "write an internationalised domain in its ASCII form (xn--…)"
        );
    }
    if (email.endsWith(".")) return `${shown} ends in a dot; remove it`;
    return `${shown} is not a valid email address`;
}

function expected(type: string): string {
    if (type === "boolean") return "true or false";
    if (type === "object") return "a mapping";
    if (type === "array") return "a list";
    return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "object") return "a mapping";
    return `${typeof v} ${JSON.stringify(v)}`;
}

/** The allowed word nearest to a typo, when it is near enough to be a plausible slip. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    // A long shared start ("Active" / "Activated") is a better hint than edit distance.
    const prefixed = candidates.filter((c) => commonPrefix(word.toLowerCase(), c.toLowerCase()) >= Math.min(5, word.length));
    if (prefixed.length === 1) return prefixed[0];
    // A role named as the UI shows it: `user` for customer_user, `admin` for customer_admin.
    const platform = candidates.find((c) => c.toLowerCase() === `customer_${word.toLowerCase().replace(/[\s-]+/g, "_")}`);
    if (platform) return platform;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const c of candidates) {
        const d = editDistance(word.toLowerCase(), c.toLowerCase());
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function commonPrefix(a: string, b: string): number {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
}

export function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
        }
        prev = cur;
    }
    return prev[b.length] ?? 0;
}
