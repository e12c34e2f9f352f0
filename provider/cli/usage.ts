// What the CLI says about how it is called: the help text, and the error that shows a
// command's own usage with it.

export const USAGE = `Usage: bitsight-users <command> [options]

Commands:
  validate [FILE...] Check users files offline: schema, duplicate users and keys, and
                     the policy: rules that need no account. No token needed
                     (pre-commit hooks, pull-request checks).
  plan [FILE]        Compare a users file with the live account, read-only: users to
                     create, fields to change, privilege changes, undeclared users.
                       --format text|markdown|json   default text
                       --state FILE    the stack's \`pulumi stack export\`: also report
                                       existing users \`pulumi up\` cannot create
                                       because they are declared without adopt
  review [FILE]      An access review of the live account against a users file, read-only:
                     who never logged in, who has not for a while, Admins and their MFA,
                     company API token users, undeclared and acknowledged users, and
                     every user's role and group. Exit 2 when something needs attention.
                       --format text|markdown|json|csv   default text
                       --stale DAYS    no login for this long is stale (default 90d; 12w)
                       --as-of DATE    review as of this date (default now), e.g. 2026-12-31
                       --expiring-days N  list access ending within N days (default 30)
  pull [FILE]        Write what was changed in the Bitsight UI into the users file, in
                     place: only the fields that differ, where they are written; comments,
                     order, anchors, teams and defaults are kept; plan is then in sync.
                     Exit 2 when the account has users the file does not declare.
                       --include-undeclared  also append users the file does not declare
  export             Write the live account as a users file.
                       --adopt         mark every user \`adopt: true\`
                       --manage-roles ROLES  declare only users with these roles (and every
                                       Admin), acknowledging the rest by one rule per role
                       --output FILE   write to FILE instead of standard output (an
                                       existing FILE only with --force: pull updates one)
  init [DIR]         Start a team's repository in DIR (default: here): package.json,
                     Pulumi.yaml, index.js, users.yaml, .gitignore, GitHub workflows,
                     CODEOWNERS lines and a README with the setup the workflows need.
                       --from-account  write users.yaml from the live account (export --adopt)
                       --manage-roles ROLES  with --from-account, as for export
                       --package-spec SPEC  what package.json depends on (default ^VERSION;
                                       a tarball or git URL until the package is published)
                       --force         overwrite files that exist, except yours, never
                                       overwritten: package.json, Pulumi.yaml, users.yaml,
                                       CODEOWNERS and README.md
                       --update-workflows  rewrite only the workflows (after an upgrade)
  check [DIR]        Check a team's repository (DIR, default here) against the setup its
                     workflows need, offline, no token: the workflows as this version
                     writes them, CODEOWNERS without the placeholder, no stack file with
                     the token in plain text, the lock file, users.yaml valid. Lists what
                     only GitHub knows (environments, secrets, settings). Exit 1 to fix.

Options:
  --stack NAME       read bitsight:apiUrl, bitsight:usersFile and bitsight:maxConcurrency
                     from Pulumi.NAME.yaml (without it: from the only Pulumi.*.yaml, if
                     exactly one exists beside Pulumi.yaml). FILE defaults to bitsight:usersFile.
  --verbose          log every request to the Bitsight API on stderr (as BITSIGHT_LOG=debug),
                     and end with one line: requests, retries, 429s, bytes, time
  --version, -v      print the version
  --help, -h         print this help

Environment:
  BITSIGHT_API_TOKEN        API token (plan, review, pull, export, init --from-account).
                            Stack secrets are encrypted for the Pulumi CLI only:
                            bitsight-users never reads them.
  BITSIGHT_API_URL          default https://api.bitsighttech.com (a stack file's wins)
  BITSIGHT_MAX_CONCURRENCY  requests in flight, default 3 (a stack file's wins)
  BITSIGHT_LOG              debug: a line per request; info: retries, pauses, give-ups
  BITSIGHT_ATTEMPT_TIMEOUT  seconds one request attempt may take, default 30
  BITSIGHT_MAX_RESPONSE_MIB the largest answer read, default 32 (MiB)

Exit codes: 0 valid, in sync or nothing to review, 1 error (or, for pull and export,
users that could not be written: named on stderr, the rest written), 2 differences
(plan) or something needing attention (review).
`;

/** The command's lines of USAGE. */
export function commandUsage(command: string): string {
    const lines = USAGE.split("\n");
    const start = lines.findIndex((l) => l.startsWith(`  ${command} `));
    if (start < 0) return "";
    const end = lines.findIndex((l, i) => i > start && (/^ {2}\S/.test(l) || l === ""));
    return `Usage: bitsight-users ${lines.slice(start, end).map((l) => l.slice(2)).join("\n")}\n`;
}
