// One measured run of plan or export, in its own process so that its peak memory is its own.
// Prints {"ms": …, "maxRssKb": …} on the last line. Naive variants do what a simple tool
// would: one request per user, pages followed one at a time.
import * as path from "path";
import { HttpClient } from "../../provider/client/http";
import { Account } from "../../provider/account/account";
import { UsersApi } from "../../provider/account/users-api";
import { main } from "../../provider/cli/main";
import { resolveConnection } from "../../provider/config/settings";
import { readUsersFile } from "../../provider/usersfile/load";
import { pool } from "../helpers/pool";

async function naiveAccount(api: UsersApi, eachUser: boolean): Promise<void> {
    // Page by page, 100 at a time, following next links; for export, each user again on its own.
    const users: { guid: string }[] = [];
    let offset = 0;
    for (;;) {
        const res = await api.http.send({ method: "GET", path: "/ratings/v2/users", query: { limit: "100", offset: String(offset) } });
        const page = res.body as { results: { guid: string }[]; links: { next: string | null } };
        users.push(...page.results);
        if (!page.links.next) break;
        offset += 100;
    }
    if (eachUser) await pool(users, 3, (u) => api.get(u.guid));
}

async function run(mode: string, file: string): Promise<void> {
    const start = Date.now();
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const io = { stdout: sink, stderr: process.stderr, env: process.env };
    if (mode === "plan" || mode === "export") {
        await main(mode === "plan" ? ["plan", file, "--format", "json"] : ["export"], io);
    } else {
        const api = new UsersApi(new HttpClient(resolveConnection(undefined, process.env)));
        if (mode === "plan-naive") {
            // Each declared user looked up by email, then the pages for the undeclared ones.
            const declared = readUsersFile(path.resolve(file)).users;
            const emails = new Account(api, { batch: false });
            await pool(declared, 3, (u) => emails.find(u.args.email));
        }
        await naiveAccount(api, mode === "export-naive");
    }
    process.stdout.write(`\n${JSON.stringify({ ms: Date.now() - start, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

void run(process.argv[2]!, process.argv[3] ?? "");
