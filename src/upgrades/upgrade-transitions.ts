/** The upgrade request's states (DOMAIN.md, "Upgrades"): COMPLETED and CANCELLED are final. */
export const UPGRADE_STATUSES = ['REQUESTED', 'TRADE_IN_RECEIVED', 'COMPLETED', 'CANCELLED'] as const;
export type UpgradeStatus = (typeof UPGRADE_STATUSES)[number];

export const UPGRADE_TRANSITIONS: Record<UpgradeStatus, readonly UpgradeStatus[]> = {
  REQUESTED: ['TRADE_IN_RECEIVED', 'COMPLETED', 'CANCELLED'],
  TRADE_IN_RECEIVED: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export const OPEN_UPGRADE_STATUSES: readonly UpgradeStatus[] = ['REQUESTED', 'TRADE_IN_RECEIVED'];

export function canMoveUpgrade(from: UpgradeStatus, to: UpgradeStatus): boolean {
  return UPGRADE_TRANSITIONS[from].includes(to);
}
