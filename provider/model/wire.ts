// The Bitsight Users API's JSON, as it travels: what GET answers for a user (v2) and what
// POST and PATCH take. Checked on arrival by ../account/parse-user; the resource's own
// shapes (args, inputs, outputs) are in ./user-model.
import type { UserStatus } from "./user-model";

/** A v2 User object as the API returns it (only the fields this provider reads are typed strictly). */
export interface ApiUser {
    guid: string;
    email: string;
    formal_name: string;
    friendly_name: string;
    group: { guid: string; name: string } | null;
    status: string;
    last_login_time: string | null;
    joined_time: string | null;
    roles: { name: string; slug: string }[];
    is_available_for_contact: boolean;
    is_company_api_token: boolean;
    features: { slug: string; value: boolean; can_update: boolean }[];
    /**
     * Known features whose value is not true or false (the OpenAPI allows a string), as
     * the API wrote it: shown, never managed; a declaration of one is refused.
     */
    unheldFeatures?: { slug: string; value: string }[];
    mfa_status?: string | null;
    landing_page?: string;
    preferred_contact_for_entities?: string[];
}

/** The writable fields of POST and PATCH /ratings/v2/users (flat body, as the reference pages send it). */
export interface ApiUserWrite {
    email?: string;
    formal_name?: string;
    friendly_name?: string;
    roles?: [{ slug: string }];
    group?: string;
    features?: { slug: string; value: boolean }[];
    is_available_for_contact?: boolean;
    is_company_api_token?: boolean;
    status?: UserStatus;
}
