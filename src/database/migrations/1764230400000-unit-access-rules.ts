import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access rules (issue 10): opening a ticket makes no one the unit's keeper.
 * - units.repair_org_ids now holds the service centers with a ticket for the unit only (it held
 *   the openers too, which let a store that opened a ticket by serial number take the unit over);
 * - units.open_repair_center_id: the center holding the unit's open ticket, which reads the
 *   owner's contact until the ticket is finished;
 * - repair_ticket_history.center_note: a note naming a technician, for the center only;
 * - unit history rows name no return or upgrade request in their shared summary or data any more:
 *   the links move to data.references with the organizations that may see them.
 */
export class UnitAccessRules1764230400000 implements MigrationInterface {
  name = 'UnitAccessRules1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE units ADD COLUMN open_repair_center_id uuid REFERENCES organizations (id);
      UPDATE units u SET
        repair_org_ids = coalesce((SELECT array_agg(DISTINCT t.service_center_id) FROM repair_tickets t WHERE t.unit_id = u.id), '{}'),
        open_repair_center_id = (SELECT t.service_center_id FROM repair_tickets t
                                  WHERE t.unit_id = u.id AND t.status NOT IN ('CLOSED', 'UNREPAIRABLE', 'CANCELLED') ORDER BY t.id DESC LIMIT 1)
        WHERE u.repair_org_ids <> '{}';

      ALTER TABLE repair_ticket_history ADD COLUMN center_note text;
      UPDATE repair_ticket_history h SET center_note = h.note, note = 'Technician assigned'
        FROM repair_tickets t
       WHERE t.id = h.ticket_id AND h.from_status = h.to_status
         AND EXISTS (SELECT 1 FROM technicians te WHERE te.service_center_id = t.service_center_id AND h.note = 'Assigned to ' || te.name);

      -- a return named by its number in a summary, or by id in data, becomes a link its retailer alone follows
      UPDATE unit_events e SET
        data = (coalesce(e.data, '{}') - 'returnId')
               || jsonb_build_object('references', coalesce(e.data -> 'references', '[]')
                    || jsonb_build_array(jsonb_build_object('kind', 'RETURN', 'id', r.id, 'label', r.number, 'seenBy', jsonb_build_array(r.retailer_id)))),
        summary = regexp_replace(regexp_replace(e.summary, '^Return RMA-[0-9]+ authorized$', 'Return authorized'), ' on RMA-[0-9]+', '', 'g')
        FROM return_authorizations r
       WHERE r.id = CASE WHEN e.data ? 'returnId' THEN (e.data ->> 'returnId')::uuid END
          OR (NOT coalesce(e.data ? 'returnId', false) AND r.number = substring(e.summary FROM 'RMA-[0-9]+'));
      -- an upgrade request, for the organization that asked and the program's owner
      UPDATE unit_events e SET
        data = (e.data - 'upgradeId')
               || jsonb_build_object('references', coalesce(e.data -> 'references', '[]')
                    || jsonb_build_array(jsonb_build_object('kind', 'UPGRADE_REQUEST', 'id', x.id, 'seenBy', jsonb_build_array(x.requested_by_id, x.program_owner_id))))
        FROM upgrade_requests x
       WHERE e.data ? 'upgradeId' AND x.id = (e.data ->> 'upgradeId')::uuid;
    `);
    // another unit, for the organizations that may see it
    for (const key of ['replacementOf', 'from', 'to', 'tradedInUnitId', 'newUnitId']) {
      await q.query(
        `
        UPDATE unit_events e SET
          data = (e.data - $1::text)
                 || jsonb_build_object('references', coalesce(e.data -> 'references', '[]')
                      || jsonb_build_array(jsonb_build_object('kind', 'UNIT', 'id', u.id, 'label', u.serial_number,
                           'seenBy', to_jsonb(array_remove(ARRAY[u.manufacturer_id, u.retailer_id] || u.repair_org_ids, NULL)))))
          FROM units u
         WHERE e.data ? $1::text AND u.id = (e.data ->> $1::text)::uuid`,
        [key],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // unit history keeps its links in data.references: a row written since cannot be told apart
    await q.query(`
      UPDATE repair_ticket_history SET note = center_note WHERE center_note IS NOT NULL;
      ALTER TABLE repair_ticket_history DROP COLUMN center_note;
      UPDATE units u SET repair_org_ids = ARRAY(SELECT DISTINCT x FROM unnest(u.repair_org_ids || (SELECT array_agg(t.opened_by_id) FROM repair_tickets t WHERE t.unit_id = u.id)) x)
        WHERE EXISTS (SELECT 1 FROM repair_tickets t WHERE t.unit_id = u.id);
      ALTER TABLE units DROP COLUMN open_repair_center_id;
    `);
  }
}
