export const ROLES = ['community_worker', 'field_staff', 'outlet_head', 'admin'] as const;
export type Role = (typeof ROLES)[number];
