import type { Knex } from "knex";

/**
 * A connection check is recorded when it is asked for, not only when its report comes: until then it has no
 * outcome, report or finish, so the admin API can tell a check still on its way from one nobody ran (expired).
 */
export const pendingDestinationChecks = {
  name: "009-pending-destination-checks",
  async up(db: Knex): Promise<void> {
    await db.raw(`
      alter table destination_checks
        alter column finished_at drop not null,
        alter column finished_at drop default,
        alter column passed drop not null,
        alter column report drop not null`);
    await db.raw(`
      alter table destination_checks add constraint destination_checks_finished_with_report
        check ((finished_at is null) = (passed is null) and (finished_at is null) = (report is null))`);
  },
  async down(db: Knex): Promise<void> {
    await db("destination_checks").whereNull("finished_at").delete();
    await db.raw("alter table destination_checks drop constraint destination_checks_finished_with_report");
    await db.raw(`
      alter table destination_checks
        alter column finished_at set not null,
        alter column finished_at set default now(),
        alter column passed set not null,
        alter column report set not null`);
  },
};
