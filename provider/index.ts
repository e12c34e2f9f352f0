export { BitsightUser } from "./user";
export type { BitsightUserArgs, Features, FeatureSlug, OnDelete, RoleSlug, UserOutputs, UserStatus } from "./types";
export { FEATURE_SLUGS, ROLE_SLUGS, USER_STATUSES } from "./types";
export { usersFromFile, type UsersFromFile } from "./gitops";
export { readUsersFile, loadUsersFile } from "./usersfile/load";
export { UsersFileError, formatProblem, type Problem } from "./usersfile/problems";
