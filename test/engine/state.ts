// What the engine stored: `pulumi stack export`, read as the pull-request workflow reads it.
import * as fs from "fs";
import * as path from "path";
import { USER_TYPE } from "../../provider/model/user-model";
import { expectExit, type Engine } from "./engine";
import { STACK } from "./team";

export const USER = USER_TYPE;

export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    initErrors?: string[];
}

export interface Deployment {
    version: number;
    deployment: { resources: StateResource[] };
}

/** `pulumi stack export` of `stack`, parsed. */
export async function exportState(engine: Engine, dir: string, stack = STACK): Promise<Deployment> {
    const r = await engine.pulumi(["stack", "export", "--stack", stack], dir);
    expectExit(r, 0);
    const d = JSON.parse(r.stdout) as Deployment;
    d.deployment.resources ??= [];
    return d;
}

export function resourcesOf(d: Deployment, type: string): StateResource[] {
    return d.deployment.resources.filter((r) => r.type === type);
}

/** Every file under `dir`: the backend's checkpoints, their backups and history. */
export function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
