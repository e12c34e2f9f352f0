// The loader Pulumi's dynamic-provider host uses for `__provider` (a dependency of @pulumi/pulumi).
declare module "require-from-string" {
    function requireFromString(code: string, filename?: string): unknown;
    export = requireFromString;
}
