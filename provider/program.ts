// The GitOps program at the repository root (Pulumi.yaml `main`): reconciles the users
// file named by `bitsight:usersFile` and summarises the managed users by role.
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { usersFromFile } from "./gitops";
import { displayPath } from "./usersfile/load";

const DEFAULT_USERS_FILE = "examples/gitops/users.yaml";

export = async () => {
    const file = path.resolve(new pulumi.Config("bitsight").get("usersFile") ?? DEFAULT_USERS_FILE);
    const { users, usersByRole } = await usersFromFile(file);
    return { usersFile: displayPath(file), userCount: users.length, usersByRole };
};
