import type { EntityManager } from 'typeorm';

/** The tables that hold nodes, by the GraphQL type of their rows. */
const NODE_TABLES = {
  Organization: 'organizations',
  Product: 'products',
  ServicePlan: 'service_plans',
  Unit: 'units',
  Technician: 'technicians',
  ApiKey: 'api_keys',
  WarrantyClaim: 'warranty_claims',
  RepairTicket: 'repair_tickets',
  ReturnAuthorization: 'return_authorizations',
  ReturnPolicy: 'return_policies',
  UpgradeProgram: 'upgrade_programs',
  UpgradeRequest: 'upgrade_requests',
  WebhookEndpoint: 'webhook_endpoints',
  WebhookDelivery: 'webhook_deliveries',
  OutreachJourney: 'outreach_journeys',
  OutreachMessage: 'outreach_messages',
  SurveyResponse: 'survey_responses',
} as const;

export type NodeTypeName = keyof typeof NODE_TABLES;

const FIND_NODE_TYPE_SQL = `${Object.entries(NODE_TABLES)
  .map(([type, table]) => `SELECT '${type}' AS type FROM ${table} WHERE id = $1`)
  .join('\n  UNION ALL ')}\n  LIMIT 1`;

/** Which type of node has this id (ids are UUIDs shared by every table), or null when none has. */
export async function findNodeType(em: EntityManager, id: string): Promise<NodeTypeName | null> {
  const [hit]: { type: NodeTypeName }[] = await em.query(FIND_NODE_TYPE_SQL, [id]);
  return hit?.type ?? null;
}
