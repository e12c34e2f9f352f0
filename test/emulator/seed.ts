// The sample account that `npm run emulator`, the demo and the tests start from.
import * as fs from "fs";
import * as path from "path";
import type { Account, Quirks } from "./account";
import { accountFromText, DEFAULT_TOKEN } from "./account-file";

/** The sample account's API token (sample-account.yaml says it again: a test holds the two alike). */
export const SEED_TOKEN = DEFAULT_TOKEN;

export const GROUPS = {
    all: { guid: "a0000000-0000-4000-8000-000000000001", name: "All Companies" },
    secops: { guid: "a0000000-0000-4000-8000-000000000002", name: "Security Operations" },
    vendor: { guid: "a0000000-0000-4000-8000-000000000003", name: "Vendor Risk" },
};

export const SEEDED = {
    tokenUser: "b0000000-0000-4000-8000-000000000001",
    alice: "b0000000-0000-4000-8000-000000000002",
    bob: "b0000000-0000-4000-8000-000000000003",
    carol: "b0000000-0000-4000-8000-000000000004",
    dave: "b0000000-0000-4000-8000-000000000005",
};

/** The sample account's file: `npm run emulator` starts from it, and a newcomer copies it to start from their own. */
export const SAMPLE_ACCOUNT_FILE = path.resolve(__dirname, "..", "..", "..", "test", "emulator", "sample-account.yaml");
let sampleText: string | undefined;

/** `clock`: the account's "now" (joined times of new users); the tests' fixed day, 2026-11-01, by default. */
export function seededAccount(quirks: Partial<Quirks> = {}, clock?: () => Date): Account {
    sampleText ??= fs.readFileSync(SAMPLE_ACCOUNT_FILE, "utf8");
    return accountFromText(sampleText, "test/emulator/sample-account.yaml", { quirks, ...(clock ? { clock } : {}) }).account;
}

/**
 * What someone did in the Bitsight UI behind the users file's back, for the demo and the
 * CLI goldens: Bob was made an Admin, Carol moved to All Companies.
 */
export function changeInTheUi(a: Account): string[] {
    a.users.get(SEEDED.bob)!.roles = ["customer_admin"];
    a.users.get(SEEDED.carol)!.group = GROUPS.all.guid;
    return ["bob@example.com was made an Admin", "carol@example.com was moved to All Companies"];
}
