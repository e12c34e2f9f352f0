// `npm run docs`: writes into the README what the code already says, so that it is never
// copied by hand: the configuration table, from provider/config's settings table.
// test/settings.test.ts fails while the README differs from what this writes.
import * as fs from "fs";
import * as path from "path";
import { settingsMarkdown } from "../../provider/config/settings";

export const README = path.resolve(__dirname, "..", "..", "..", "README.md");

/** The README with its configuration table as the settings table gives it. */
export function withSettings(readme: string): string {
    const start = readme.indexOf("| stack config | environment | default | |");
    if (start < 0) throw new Error("README.md has no configuration table (| stack config | environment | default | |)");
    const lines = readme.slice(start).split("\n");
    const length = lines.findIndex((l) => !l.startsWith("|"));
    const end = start + lines.slice(0, length).join("\n").length;
    return `${readme.slice(0, start)}${settingsMarkdown()}${readme.slice(end)}`;
}

if (require.main === module) {
    const before = fs.readFileSync(README, "utf8");
    const after = withSettings(before);
    if (after !== before) fs.writeFileSync(README, after);
    process.stdout.write(after === before ? "README.md: up to date\n" : "README.md: configuration table rewritten\n");
}
