// Reading back what the CLI writes as CSV (RFC 4180), for the tests.

/** One CSV record. */
export function parseCsvLine(line: string): string[] {
    const cells: string[] = [];
    let i = 0;
    while (i <= line.length) {
        if (line[i] === '"') {
            let cell = "";
            i++;
            for (;;) {
                const q = line.indexOf('"', i);
                if (line[q + 1] === '"') {
                    cell += line.slice(i, q + 1);
                    i = q + 2;
                } else {
                    cell += line.slice(i, q);
                    i = q + 1;
                    break;
                }
            }
            cells.push(cell);
            i++;
        } else {
            const comma = line.indexOf(",", i);
            const end = comma < 0 ? line.length : comma;
            cells.push(line.slice(i, end));
            i = end + 1;
        }
    }
    return cells;
}
