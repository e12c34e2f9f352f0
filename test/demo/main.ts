// `npm run demo`: the main job on the embedded default, no account and no Pulumi CLI
// needed. The TypeScript example is registered through the real SDK (setMocks), then its
// users go through the SDK's own dynamic-provider host against the emulator, with this
// script playing the engine's part: up, changes made in the Bitsight UI, a drift check,
// the repair, destroy.
import { describeChanges, diffUser } from "../../provider/diff";
import type { UserInputs, UserOutputs } from "../../provider/types";
import { seededAccount, SEED_TOKEN } from "../emulator/seed";
import { BitsightEmulator } from "../emulator/server";
import { ProviderHost, urn, type Props } from "../helpers/host";
import { runProgram } from "../helpers/program";

interface Managed {
    name: string;
    inputs: Props;
    id?: string;
    outs?: Props;
}

const say = (line = "") => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
    const emu = await BitsightEmulator.start({ account: seededAccount() });
    const host = await ProviderHost.start();
    try {
        await host.configure({ "bitsight:apiToken": SEED_TOKEN, "bitsight:apiUrl": emu.url });
        say(`Bitsight API emulator on ${emu.url} (sample account: ${emu.account.users.size} users)`);
        const program = "../../examples/typescript";
        const regs = await runProgram(() => (require(program) as typeof import("../../examples/typescript")).users);
        say(`Program examples/typescript declares ${regs.length} users; running them through Pulumi's dynamic-provider host.\n`);
        const users: Managed[] = regs.map((r) => ({ name: r.name, inputs: r.inputs }));

        say("== pulumi up");
        await up(host, users);

        say("\n== meanwhile, in the Bitsight UI");
        const ben = emu.account.findByEmail("ben.okafor@example.com")!;
        ben.role = "customer_admin";
        say(`  someone made ${ben.email} an Admin`);
        const chen = emu.account.findByEmail("chen.wei@example.com")!;
        emu.account.users.delete(chen.guid);
        say(`  someone deleted ${chen.email}`);

        say("\n== pulumi preview --refresh --expect-no-changes (the scheduled drift check)");
        const drift = await refresh(host, users);
        say(drift ? `  drift found in ${drift} user(s): the check fails, nothing was changed` : "  no drift");

        say("\n== pulumi up (repairs the drift)");
        await up(host, users);

        say("\n== pulumi destroy");
        for (const u of users) {
            await host.delete(urn(u.name), u.id!, u.outs!);
            const kept = u.outs!["onDelete"] === "retain";
            say(`  ${kept ? "=" : "-"} ${u.name.padEnd(26)} ${kept ? "retained in Bitsight (onDelete: retain)" : "deleted"}`);
        }

        const counts = new Map<string, number>();
        for (const r of emu.log) counts.set(r.method, (counts.get(r.method) ?? 0) + 1);
        say(`\nRequests to the Bitsight API: ${emu.log.length} (${[...counts].map(([m, n]) => `${m} ${n}`).join(", ")})`);
        say(`Users left in the account: ${[...emu.account.users.values()].map((u) => u.email).join(", ")}`);
        say("\nWith the Pulumi CLI installed, the same program runs for real:");
        say("  cd examples/typescript && npm install");
        say(`  BITSIGHT_API_URL=<emulator url> BITSIGHT_API_TOKEN=${SEED_TOKEN} pulumi up   (start one with npm run emulator)`);
    } finally {
        await host.stop();
        await emu.stop();
    }
}

/** What the engine does on `up`: check, then create what is new or diff and update what exists. */
async function up(host: ProviderHost, users: Managed[]): Promise<void> {
    let same = 0;
    for (const u of users) {
        const checked = await host.check(urn(u.name), {}, u.inputs);
        if (checked.failures.length) throw new Error(`${u.name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        if (!u.id) {
            const { id, outs } = await host.create(urn(u.name), checked.inputs);
            Object.assign(u, { id, outs });
            const how = outs["adopted"] ? `adopted existing user ${id}` : `created ${id}`;
            say(`  + ${u.name.padEnd(26)} ${String(outs["role"]).padEnd(28)} ${how}`);
            continue;
        }
        const diff = await host.diff(urn(u.name), u.id, u.outs!, checked.inputs);
        if (diff.changes !== "some") {
            same++;
            continue;
        }
        const changes = describeChanges(diffUser(u.outs as unknown as UserOutputs, checked.inputs as unknown as UserInputs));
        u.outs = await host.update(urn(u.name), u.id, u.outs!, checked.inputs);
        say(`  ~ ${u.name.padEnd(26)} ${changes}`);
    }
    if (same) say(`  ${same} unchanged`);
}

/** What a refresh then preview shows: users gone, and declared fields that differ. */
async function refresh(host: ProviderHost, users: Managed[]): Promise<number> {
    let drifted = 0;
    for (const u of users) {
        const r = await host.read(urn(u.name), u.id!, u.outs!);
        if (!r.id) {
            say(`  + ${u.name.padEnd(26)} gone from Bitsight: would be created again`);
            delete u.id;
            delete u.outs;
            drifted++;
            continue;
        }
        u.outs = r.props;
        const checked = await host.check(urn(u.name), r.inputs ?? {}, u.inputs);
        const changes = diffUser(r.props as unknown as UserOutputs, checked.inputs as unknown as UserInputs);
        if (changes.length) {
            say(`  ~ ${u.name.padEnd(26)} would change ${describeChanges(changes)}`);
            drifted++;
        }
    }
    return drifted;
}

main().catch((err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
