// This repository's own Pulumi project (Pulumi.yaml at the root) runs this file: the
// package's users-file program, with this folder's users.yaml as the default. A team's
// repository calls the package the same way; `bitsight-users init` writes its program.
import { usersFileProgram } from "pulumi-bitsight/program";

export = usersFileProgram({ usersFile: "examples/gitops/users.yaml" });
