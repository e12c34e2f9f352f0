export { BitsightUser } from "./user";
export type { BitsightUserArgs, Features, FeatureSlug, OnDelete, RoleSlug, UserOutputs, UserStatus } from "./types";
export { FEATURE_SLUGS, ROLE_SLUGS, USER_STATUSES } from "./types";
