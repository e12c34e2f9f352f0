// A command's options, declared once beside the command (as gh's pkg/cmd/<name>/ does):
// node's parseArgs reads them, and the command's usage is printed from them. A new option
// is one entry in its command's spec: parsed, typed, refused elsewhere and documented.
import type { Run } from "./run";

interface Described {
    /** What it does, one sentence; wrapped when printed. */
    help: string;
    short?: string;
}

export interface StringOption extends Described {
    type: "string";
    /** The value's name in the usage line: `--state FILE`. */
    value: string;
    default?: string;
    /** The only values taken, refused otherwise with this list. */
    choices?: readonly string[];
}

export interface BooleanOption extends Described {
    type: "boolean";
}

export type OptionSpec = StringOption | BooleanOption;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The values a spec gives: a flag is a boolean; a string with a default is always one. */
export type ValuesOf<O extends OptionSpecs> = {
    [K in keyof O]: O[K] extends BooleanOption ? boolean : O[K] extends { default: string } ? string : string | undefined;
};

export interface Command<O extends OptionSpecs = OptionSpecs> {
    /** What follows the command's name in its usage line: `[FILE]`. */
    operands: string;
    /** What it does; wrapped when printed. */
    about: string;
    options: O;
    run(values: ValuesOf<O>, files: string[], io: Run): Promise<number> | number;
}

/** Declares a command, its values typed from its own options. */
export function defineCommand<const O extends OptionSpecs>(command: Command<O>): Command<O> {
    return command;
}

/** `--stack NAME`, taken by every command that reads a stack's settings. */
export const STACK_OPTION = {
    type: "string",
    value: "NAME",
    help: "read the settings below from Pulumi.NAME.yaml (default: the only one there)",
} as const satisfies StringOption;

/** parseArgs' options for a spec. */
export function parseConfig(specs: OptionSpecs): Record<string, { type: "string" | "boolean"; short?: string; default?: string | boolean }> {
    return Object.fromEntries(
        Object.entries(specs).map(([name, o]) => [
            name,
            { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.type === "boolean" ? { default: false } : o.default !== undefined ? { default: o.default } : {}) },
        ]),
    );
}

/** The first value outside its option's choices, as the error to show; undefined when all are allowed. */
export function refusedChoice(specs: OptionSpecs, values: Record<string, unknown>): string | undefined {
    for (const [name, o] of Object.entries(specs)) {
        const v = values[name];
        if (o.type === "string" && o.choices && typeof v === "string" && !o.choices.includes(v)) {
            return `--${name} must be ${o.choices.slice(0, -1).join(", ")} or ${o.choices[o.choices.length - 1]}, not ${v}`;
        }
    }
    return undefined;
}

const WIDTH = 88;

/** `text` in lines of at most WIDTH, each after `indent` spaces; the first after `first` instead. */
export function wrap(text: string, indent: number, first = " ".repeat(indent)): string[] {
    const lines: string[] = [];
    let line = first;
    let empty = true;
    for (const word of text.split(/\s+/).filter(Boolean)) {
        if (!empty && line.length + 1 + word.length > WIDTH) {
            lines.push(line);
            line = " ".repeat(indent) + word;
        } else line = empty ? line + word : `${line} ${word}`;
        empty = false;
    }
    lines.push(line);
    return lines;
}

/** The lines of one option: `--state FILE` then its help, aligned. */
export function optionLines(name: string, o: OptionSpec, indent: number): string[] {
    const value = o.type === "string" ? ` ${o.choices ? o.choices.join("|") : o.value}` : "";
    const flag = `${" ".repeat(indent)}--${name}${value}${o.short ? `, -${o.short}` : ""}`;
    const help = o.type === "string" && o.default !== undefined ? `${o.help} (default ${o.default})` : o.help;
    const column = indent + 16;
    return flag.length < column ? wrap(help, column, flag.padEnd(column)) : [flag, ...wrap(help, column)];
}

/** A command's part of the usage: its line, what it does, and each option. */
export function commandHelp(name: string, c: Command): string[] {
    const head = `  ${name} ${c.operands}`.trimEnd();
    const lines = head.length < 21 ? wrap(c.about, 21, head.padEnd(21)) : [head, ...wrap(c.about, 21)];
    for (const [option, spec] of Object.entries(c.options)) lines.push(...optionLines(option, spec, 23));
    return lines;
}
