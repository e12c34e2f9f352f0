// A token set as plain stack config is refused before anything registers. The engine hands
// the whole stack config to the dynamic provider and stores it as that provider's inputs in
// the state: encrypted when the key was set with --secret, in plain text otherwise (seen
// through `pulumi` itself: test/engine). Pulumi.<stack>.yaml holds it in plain text too.
import { sdk } from "../base/sdk";
import { CONFIG_TOKEN, ENV_TOKEN } from "../config/settings";
import { ConfigurationError } from "../base/errors";

/** The SDK's own answer (marked internal, present in every version the peer range admits). */
function isSecret(key: string): boolean {
    const runtime = sdk().runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    if (typeof runtime.isConfigSecret === "function") return runtime.isConfigSecret(key);
    // An SDK without it: read what the language host passed, as the SDK would.
    try {
        const keys = JSON.parse(process.env["PULUMI_CONFIG_SECRET_KEYS"] ?? "[]") as unknown;
        return Array.isArray(keys) && keys.includes(key);
    } catch {
        return false;
    }
}

/** Throws when `bitsight:apiToken` is stack config that is not a secret. */
export function refusePlainTextToken(): void {
    const value = sdk().runtime.getConfig(CONFIG_TOKEN);
    if (value === undefined || isSecret(CONFIG_TOKEN)) return;
    const stack = sdk().getStack();
    throw new ConfigurationError(
        `${CONFIG_TOKEN} is set in plain text, so Pulumi.${stack}.yaml holds the token readable, and the engine would copy it unencrypted into the state. ` +
            `Nothing was registered or sent. Encrypt it: pulumi config set --secret ${CONFIG_TOKEN} "$(pulumi config get ${CONFIG_TOKEN})" --stack ${stack} ` +
            `(or remove it with pulumi config rm ${CONFIG_TOKEN} and set ${ENV_TOKEN}); if Pulumi.${stack}.yaml was committed with the token, revoke the token in the Bitsight UI and set a new one.`,
    );
}
