// Where the client talks to and as whom: resolved from the configuration by ../config,
// used by ./http. It lives here, in the lowest room that needs it, so that the client
// does not import the configuration that builds it.
export interface Connection {
    /** Origin plus optional path prefix, without a trailing slash. */
    baseUrl: string;
    token: string;
    /** The email of the user the token belongs to, when configured. */
    tokenUser?: string;
}
