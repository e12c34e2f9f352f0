// The benchmark's engine table (`npm run bench -- --tables engine`): what `pulumi` itself
// costs on 1,000 users, in a repository `init --from-account` wrote from the packed tarball,
// against the emulator: wall time, requests to the account, provider processes started and
// the state's size; beside each, the same command on a trivial dynamic provider (no API,
// the smallest `__provider`) with as many resources, which is the engine's own floor.
import * as fs from "fs";
import * as path from "path";
import { BitsightEmulator } from "../emulator/server";
import { Engine, expectExit, findEngine } from "../engine/engine";
import { STACK, team } from "../engine/team";
import { bigAccount, secs } from "./common";

interface Run {
    ms: number;
    requests: number;
    processes: number;
}

const TRIVIAL = `"use strict";
const pulumi = require("@pulumi/pulumi");
// The smallest dynamic provider: no API, nothing captured.
const provider = {
    async create(inputs) { return { id: inputs.n, outs: inputs }; },
    async read(id, props) { return { id, props }; },
    async diff() { return { changes: false }; },
};
const n = Number(new pulumi.Config().require("count"));
for (let i = 0; i < n; i++) new pulumi.dynamic.Resource(provider, "r" + i, { n: String(i) });
`;

async function timed(engine: Engine, dir: string, args: string[], emu?: BitsightEmulator): Promise<Run> {
    emu?.clearLog();
    engine.takeProviderStarts();
    const start = Date.now();
    const r = await engine.pulumi(args, dir);
    expectExit(r, 0);
    return { ms: Date.now() - start, requests: emu ? emu.log.length : 0, processes: engine.takeProviderStarts().length };
}

async function stateBytes(engine: Engine, dir: string): Promise<number> {
    const r = await engine.pulumi(["stack", "export", "--stack", STACK], dir);
    expectExit(r, 0);
    return Buffer.byteLength(r.stdout);
}

/** The trivial project beside the team's, sharing its node_modules (the same SDK). */
async function floorProject(engine: Engine, teamDir: string, count: number): Promise<string> {
    const dir = path.join(engine.root, "floor");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: floor\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(dir, "index.js"), TRIVIAL);
    fs.symlinkSync(path.join(teamDir, "node_modules"), path.join(dir, "node_modules"));
    expectExit(await engine.pulumi(["stack", "init", STACK], dir), 0);
    expectExit(await engine.pulumi(["config", "set", "count", String(count), "--stack", STACK], dir), 0);
    return dir;
}

export async function engineTable(latency: number): Promise<void> {
    const found = findEngine();
    if (!found) {
        process.stdout.write("Engine table: no engine (node test/tools/engine.js builds it once per machine).\n\n");
        return;
    }
    const users = 1000;
    const creates = 300;
    const { account } = bigAccount(users);
    account.totalActiveQuota = 10_000;
    const emu = await BitsightEmulator.start({ account });
    const engine = new Engine(found);
    try {
        const t = await team(engine, emu.url);
        emu.gate = () => new Promise((resolve) => setTimeout(resolve, latency));
        const adopt = await timed(engine, t.dir, ["up", "--yes", "--skip-preview", "--stack", STACK], emu);
        const floor = await floorProject(engine, t.dir, users);
        const floorAdopt = await timed(engine, floor, ["up", "--yes", "--skip-preview", "--stack", STACK]);
        const rows: [string, Run, Run][] = [[`pulumi up: adopt ${users} users (create ${users} resources)`, adopt, floorAdopt]];
        const same: [string, string[]][] = [
            ["pulumi preview, no change", ["preview", "--stack", STACK]],
            ["pulumi refresh --preview-only, no change", ["refresh", "--preview-only", "--stack", STACK]],
            ["pulumi up --refresh (as the apply workflow), no change", ["up", "--yes", "--skip-preview", "--refresh", "--stack", STACK]],
        ];
        for (const [name, args] of same) rows.push([name, await timed(engine, t.dir, args, emu), await timed(engine, floor, args)]);
        const sizes = { users: await stateBytes(engine, t.dir), floor: await stateBytes(engine, floor) };
        const lines = Array.from({ length: creates }, (_, i) => `  - { email: new${i}@example.com, formalName: New ${i}, role: customer_user, group: All Companies }`);
        t.writeUsers(`${t.readUsers().replace(/\n$/, "")}\n${lines.join("\n")}\n`);
        expectExit(await engine.pulumi(["config", "set", "count", String(users + creates), "--stack", STACK], floor), 0);
        rows.push([`pulumi up: create ${creates} users`, await timed(engine, t.dir, ["up", "--yes", "--skip-preview", "--stack", STACK], emu), await timed(engine, floor, ["up", "--yes", "--skip-preview", "--stack", STACK])]);
        const table = [
            "| command | time | requests | provider processes | trivial provider: time | processes | over the floor |",
            "|---|---:|---:|---:|---:|---:|---:|",
            ...rows.map(([name, a, b]) => `| ${name} | ${secs(a.ms)} | ${a.requests} | ${a.processes} | ${secs(b.ms)} | ${b.processes} | ${secs(a.ms - b.ms)} |`),
        ];
        process.stdout.write(
            `Through pulumi ${found.version} itself (${found.source}), ${users} users, the emulator answering after ${latency} ms a request:\n\n${table.join("\n")}\n\n` +
                `State (pulumi stack export) after ${users}: ${(sizes.users / 1048576).toFixed(2)} MiB, ${Math.round(sizes.users / users)} bytes a user; ` +
                `the trivial provider's ${users} resources: ${(sizes.floor / 1048576).toFixed(2)} MiB, ${Math.round(sizes.floor / users)} bytes each.\n\n`,
        );
    } finally {
        await emu.stop();
        engine.remove();
    }
}
