export { BitsightUser } from "./resource/user";
export { BitsightRemovedUser } from "./resource/removed-user-resource";
export { BitsightApiToken, type BitsightApiTokenArgs } from "./resource/api-token-resource";
export { BitsightAccessGroup, type BitsightAccessGroupArgs } from "./resource/access-group-resource";
export type { BitsightUserArgs, Features, FeatureSlug, OnDelete, RoleSlug, UserOutputs, UserStatus } from "./model/user-model";
export { FEATURE_SLUGS, ROLE_SLUGS, USER_STATUSES } from "./model/user-model";
export { usersFromFile, type UsersFromFile } from "./program/users-file-resources";
export { readUsersFile, loadUsersFile } from "./usersfile/load";
export { UsersFileError, formatProblem, type Problem } from "./usersfile/problems";
export {
    BitsightError,
    ConfigurationError,
    FileChangedError,
    FileExistsError,
    FileReadError,
    InternalError,
    StateFileError,
    UsageError,
} from "./base/errors";
export {
    BitsightApiError,
    BitsightNetworkError,
    BitsightTimeoutError,
    RedirectRefusedError,
    ResponseTooLargeError,
    UnexpectedResponseError,
} from "./client/errors";
export { PartialFailureError } from "./resource/partial-failure";
