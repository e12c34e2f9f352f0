// `npm run emulator:ui -- EMAIL CHANGE...`: change a user of the running emulator as an
// Admin would in the Bitsight UI, so that a newcomer can make the drift the demo makes,
// then `plan` and `pull` it. The changes go through the emulator's API, as the UI's do,
// with BITSIGHT_API_TOKEN (an account file's own token) or the sample's.
//   role=customer_admin  group="Vendor Risk"  contact=true  wfh-ro=true  mfa=reset
import { isLoopbackHost } from "../../provider/config/settings";
import { DEFAULT_EMULATOR_PORT } from "./main";
import { SEED_TOKEN } from "./seed";

const USAGE = "usage: npm run emulator:ui -- EMAIL CHANGE... (role=SLUG, group=NAME, formalName=TEXT, friendlyName=TEXT, contact=true|false, FEATURE=true|false, mfa=reset)";

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const token = process.env["BITSIGHT_API_TOKEN"] ?? SEED_TOKEN;
    const res = await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: `Basic ${Buffer.from(`${token}:`).toString("base64")}`, ...(body ? { "Content-Type": "application/json" } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
}

async function main(args: string[]): Promise<void> {
    if (args.length === 1 && ["--help", "-h"].includes(args[0]!)) return void process.stdout.write(`${USAGE}\nSee docs/emulator.md.\n`);
    const [email, ...changes] = args;
    if (!email || changes.length === 0 || changes.some((c) => !c.includes("="))) throw new Error(USAGE);
    const base = process.env["BITSIGHT_API_URL"] ?? `http://127.0.0.1:${DEFAULT_EMULATOR_PORT}`;
    // The same shell may point the CLI at the real account: this command never writes there.
    if (!isLoopbackHost(new URL(base).hostname)) {
        throw new Error(`BITSIGHT_API_URL is ${base}, not the emulator on this machine: this command changes the emulator's users only`);
    }
    const listing = (await call(base, "GET", `/ratings/v2/users?email=${encodeURIComponent(email)}&is_company_api_token=false`)) as { results: { guid: string; email: string }[] };
    const user = listing.results.find((u) => u.email.toLowerCase() === email.toLowerCase());
    if (!user) throw new Error(`${email} is not in the emulator's account`);
    const body: Record<string, unknown> = {};
    const features: { slug: string; value: boolean }[] = [];
    const said: string[] = [];
    for (const change of changes) {
        const [key, value] = [change.slice(0, change.indexOf("=")), change.slice(change.indexOf("=") + 1)];
        if (key === "mfa") {
            if (value !== "reset") throw new Error(`mfa takes reset, not ${value}`);
            await call(base, "POST", `/ratings/v2/users/${user.guid}/reset-mfa`);
        } else if (key === "role") body["roles"] = [{ slug: value }];
        else if (key === "group") {
            const groups = (await call(base, "GET", "/ratings/v1/access-groups")) as { groups: { guid: string; name: string }[] };
            const g = groups.groups.find((x) => x.name.toLowerCase() === value.toLowerCase());
            if (!g) throw new Error(`no access group is named ${value}; the emulator's are ${groups.groups.map((x) => x.name).join(", ")}`);
            body["group"] = g.guid;
        } else if (key === "formalName") body["formal_name"] = value;
        else if (key === "friendlyName") body["friendly_name"] = value;
        else if (key === "contact") body["is_available_for_contact"] = value === "true";
        else if (value === "true" || value === "false") features.push({ slug: key, value: value === "true" });
        else throw new Error(`unknown change ${change}; ${USAGE}`);
        said.push(`${key} ${value}`);
    }
    if (features.length) body["features"] = features;
    if (Object.keys(body).length) await call(base, "PATCH", `/ratings/v2/users/${user.guid}`, body);
    process.stdout.write(`${user.email}: ${said.join(", ")} (as an Admin would in the Bitsight UI)\n`);
}

main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`emulator:ui: ${err.message}\n`);
    process.exitCode = 1;
});
