import { strict as assert } from "assert";
import { commandAt, COMMANDS, main, USAGE } from "./main";
import { commandHelp, parseConfig, refusedChoice, wrap } from "./options";
import { PassThrough } from "stream";

describe("each command's options, declared beside it", () => {
    it("the help is printed from every command's own spec: each command and each of its options, in lines of at most 88", () => {
        for (const [name, command] of Object.entries(COMMANDS)) {
            const part = commandHelp(name, command).join("\n");
            assert.ok(USAGE.includes(part), name);
            for (const option of Object.keys(command.options)) assert.match(part, new RegExp(`^ {23}--${option}\\b`, "m"), `${name} --${option}`);
        }
        assert.deepEqual(USAGE.split("\n").filter((l) => l.length > 88), []);
    });

    it("a command refuses another command's option by name, and an option no command takes as unknown", async () => {
        const run = async (args: string[]) => {
            let err = "";
            const stderr = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
            stderr.on("data", (d: Buffer) => (err += d.toString()));
            const code = await main(args, { stdout: new PassThrough(), stderr, env: {} });
            return { code, err };
        };
        for (const [name, command] of Object.entries(COMMANDS)) {
            const foreign = Object.entries(COMMANDS).flatMap(([, c]) => Object.keys(c.options)).find((o) => !(o in command.options));
            if (!foreign) continue;
            const r = await run([name, `--${foreign}`]);
            assert.equal(r.code, 1);
            assert.ok(r.err.startsWith(`bitsight-users: ${name} does not take --${foreign}\nUsage: bitsight-users ${name}`), r.err);
        }
        assert.match((await run(["plan", "--colour"])).err, /^bitsight-users: unknown option --colour\n/);
    });

    it("finds the command after options and their values: --stack prod plan is plan", () => {
        assert.equal(commandAt(["--stack", "prod", "plan", "users.yaml"]), 2);
        assert.equal(commandAt(["--stack=prod", "plan"]), 1);
        assert.equal(commandAt(["--verbose", "--format", "json", "review"]), 3);
        assert.equal(commandAt(["plan", "--stack", "prod"]), 0);
        assert.equal(commandAt(["--stack", "prod"]), -1);
    });

    it("gives each flag false, each string its default, and refuses a value outside its choices", () => {
        const specs = { force: { type: "boolean", help: "x" }, format: { type: "string", value: "F", default: "text", choices: ["text", "json"], help: "y" } } as const;
        assert.deepEqual(parseConfig(specs), { force: { type: "boolean", default: false }, format: { type: "string", default: "text" } });
        assert.equal(refusedChoice(specs, { format: "html" }), "--format must be text or json, not html");
        assert.equal(refusedChoice(specs, { format: "json" }), undefined);
    });

    it("wraps words at 88 columns, the first line after its own prefix", () => {
        const lines = wrap("word ".repeat(40), 10, "  --flag  ".padEnd(10));
        assert.ok(lines.every((l) => l.length <= 88));
        assert.ok(lines[0]!.startsWith("  --flag  word"));
        assert.ok(lines.slice(1).every((l) => l.startsWith(" ".repeat(10) + "word")));
    });
});
