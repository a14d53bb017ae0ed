package org.wikimedia.spiderpig.web;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link JobApiTest} again, with jobs and their logs in PostgreSQL. */
@OnPostgresql
class JobApiOnPostgresqlTest extends JobApiTest {
}
