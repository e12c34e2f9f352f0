// Users declared in a YAML file, registered as BitsightUser resources. An invalid file
// throws before any resource registers, with every problem in it.
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { BitsightError } from "./client/errors";
import type { AccessGroups } from "./client/users";
import { resolveConnection } from "./config";
import { makeContext } from "./context";
import { BitsightUser } from "./user";
import { displayPath, loadUsersFile } from "./usersfile/load";
import { planResources } from "./usersfile/resources";

export interface UsersFromFile {
    users: BitsightUser[];
    /** Role slug → emails of the managed users that have it, as the account reports them. */
    usersByRole: pulumi.Output<Record<string, string[]>>;
}

/**
 * `file` is resolved against `base` (default: the working directory), and messages name it
 * relative to `base`. A Pulumi program whose file is relative to its project should pass
 * `projectRoot()`: the engine runs a program whose `main` is a file from that file's folder.
 */
export async function usersFromFile(file: string, opts: pulumi.CustomResourceOptions = {}, base: string = process.cwd()): Promise<UsersFromFile> {
    const absolute = path.resolve(base, file);
    const declared = await loadUsersFile(absolute, () => accountGroups(displayPath(absolute, base)), base);
    const users = planResources(declared).map(
        (r) => new BitsightUser(r.name, r.args, { ...opts, aliases: [...(opts.aliases ?? []), ...r.aliases.map((name) => ({ name }))] }),
    );
    const usersByRole = pulumi.all(users.map((u) => pulumi.all([u.email, u.role]))).apply(summariseByRole);
    return { users, usersByRole };
}

export function summariseByRole(pairs: [string, string][]): Record<string, string[]> {
    const byRole: Record<string, string[]> = {};
    for (const [email, role] of pairs) (byRole[role] ??= []).push(email);
    for (const list of Object.values(byRole)) list.sort();
    return Object.fromEntries(Object.entries(byRole).sort(([a], [b]) => a.localeCompare(b)));
}

/** The program itself asks for the account's groups (read-only), with the provider's credentials. */
async function accountGroups(file: string): Promise<AccessGroups> {
    try {
        const conn = resolveConnection({ get: (k) => pulumi.runtime.getConfig(k) }, process.env);
        return await makeContext(conn).api.accessGroups();
    } catch (err) {
        throw new BitsightError(`${file} names access groups; resolving them needs the Bitsight API: ${(err as Error).message}`);
    }
}
