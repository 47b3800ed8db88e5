import type { Generated } from 'kysely';

export interface EventTable {
  id: Generated<number>;
  type: string;
  subject_id: number | null;
  payload: string;
  created_at: string;
}
export interface SettingTable {
  key: string;
  value: string;
}
