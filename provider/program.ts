// The GitOps program at the repository root (Pulumi.yaml `main`): reconciles the users
// file named by `bitsight:usersFile` (relative to the project root, wherever the engine
// runs the program from) and summarises the managed users by role.
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { usersFromFile } from "./gitops";
import { projectRoot } from "./project-root";
import { displayPath } from "./usersfile/load";

const DEFAULT_USERS_FILE = "examples/gitops/users.yaml";

export = async () => {
    const root = projectRoot();
    const file = path.resolve(root, new pulumi.Config("bitsight").get("usersFile") ?? DEFAULT_USERS_FILE);
    const { usersByRole, userCount, deletableUsers } = await usersFromFile(file, {}, { base: root });
    // userCount and deletableUsers are read back by the next run's mass-removal guard.
    return { usersFile: displayPath(file, root), userCount, usersByRole, deletableUsers };
};
