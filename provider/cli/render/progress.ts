// Progress for long runs, on stderr, only when a person is watching (a terminal).
export type Progress = (done: number, total: number | undefined, what: string) => void;

export function progressTo(stream: NodeJS.WriteStream): Progress {
    if (!stream.isTTY) return () => undefined;
    return (done, total, what) => {
        stream.write(`\r${what}: ${done}${total === undefined ? "" : ` of ${total}`}   `);
        if (total !== undefined && done >= total) stream.write("\n");
    };
}
