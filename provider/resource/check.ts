// `check`: validate a declaration against schema/user.schema.json and normalise it.
// Pure: no API call is ever made for input that fails here.
import { validateUser } from "../package/schema";
import { GUID, type UserInputs } from "../model/user-model";
import { isUnknown } from "./preview-unknown";

export interface CheckFailure {
    property: string;
    reason: string;
}

export interface CheckResult {
    inputs: Record<string, unknown>;
    failures: CheckFailure[];
}

const TRIMMED = ["email", "formalName", "friendlyName", "role", "group", "status", "onDelete"] as const;

/** Trims text, lower-cases GUIDs, applies defaults. Leaves unknown (preview) values alone. */
export function normaliseUser(raw: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...raw };
    delete out["__provider"];
    for (const key of TRIMMED) {
        const v = out[key];
        if (typeof v === "string" && !isUnknown(v)) out[key] = v.trim();
    }
    if (typeof out["group"] === "string" && GUID.test(out["group"])) out["group"] = out["group"].toLowerCase();
    if (out["adopt"] === undefined) out["adopt"] = false;
    if (out["onDelete"] === undefined) out["onDelete"] = "delete";
    return out;
}

export function checkUser(news: Record<string, unknown>): CheckResult {
    const inputs = normaliseUser(news);
    // Validate only what is known: drop unknown values, and forgive their absence.
    const known: Record<string, unknown> = {};
    const unknownKeys = new Set<string>();
    for (const [k, v] of Object.entries(inputs)) {
        if (isUnknown(v)) unknownKeys.add(k);
        else known[k] = v;
    }
    if (isPlainObject(known["features"])) {
        known["features"] = Object.fromEntries(
            Object.entries(known["features"]).filter(([, v]) => !isUnknown(v)),
        );
    }
    const failures = validateUser(known)
        .filter((p) => !(p.message === "is required" && unknownKeys.has(p.path[0] ?? "")))
        .map((p) => ({ property: p.path.join(".") || "(resource)", reason: p.message }));
    return { inputs, failures };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The checked inputs, typed. Only call on inputs whose `check` had no failures. */
export function asUserInputs(inputs: Record<string, unknown>): UserInputs {
    const { __provider: _ignored, ...rest } = inputs;
    return rest as unknown as UserInputs;
}
