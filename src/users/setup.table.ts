/** The hash of the one-time first-admin setup link (at most one row, only while no admin exists). */
export interface SetupTokenTable {
  token_hash: string;
  created_at: string;
}
