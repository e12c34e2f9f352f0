// The users-file Pulumi program, as a package export (`pulumi-bitsight/program`), so that a
// team's project is a few lines that call it (what `bitsight-users init` writes) rather
// than a copy of it. It reconciles the users file named by `bitsight:usersFile` (relative
// to the project root, wherever the engine runs the program from) and summarises the
// managed users by role.
import type * as pulumi from "@pulumi/pulumi";
import { sdk } from "../base/sdk";
import * as path from "path";
import { CONFIG_USERS_FILE, DEFAULT_USERS_FILE } from "../config/settings";
import { usersFromFile } from "./users-file-resources";
import { projectRoot } from "./project-root";
import { displayPath } from "../usersfile/load";

export interface UsersFileProgramOptions {
    /** The users file when the stack sets no `bitsight:usersFile`, relative to the project root. Default users.yaml. */
    usersFile?: string;
}

export interface UsersFileOutputs {
    usersFile: string;
    userCount: number;
    usersByRole: pulumi.Output<Record<string, string[]>>;
    deletableUsers: string[];
    demotableUsers: string[];
    /** The company API tokens the file declares, by description. */
    apiTokens: string[];
    /** The access groups the file declares, by name. */
    accessGroups: string[];
}

/** The program, ready for Pulumi: `module.exports = usersFileProgram()`. */
export function usersFileProgram(options: UsersFileProgramOptions = {}): () => Promise<UsersFileOutputs> {
    return async () => {
        const root = projectRoot();
        const file = path.resolve(root, sdk().runtime.getConfig(CONFIG_USERS_FILE) ?? options.usersFile ?? DEFAULT_USERS_FILE);
        const { usersByRole, userCount, deletableUsers, demotableUsers, apiTokenDescriptions, accessGroupNames } = await usersFromFile(file, {}, { base: root });
        // userCount, deletableUsers, demotableUsers, apiTokens and accessGroups are read back by the next run's mass-removal guard.
        return { usersFile: displayPath(file, root), userCount, usersByRole, deletableUsers, demotableUsers, apiTokens: apiTokenDescriptions, accessGroups: accessGroupNames };
    };
}
