// During a preview, inputs that depend on other resources' outputs are not known yet;
// the engine sends them to the dynamic provider as this exact string.
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}
