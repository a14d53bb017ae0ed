package org.wikimedia.spiderpig.web;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link EventStreamTest} again, with the streams read from jobs, prompts and logs in PostgreSQL. */
@OnPostgresql
class EventStreamOnPostgresqlTest extends EventStreamTest {
}
