package org.wikimedia.spiderpig.web;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link LiveFanOutTest} again, with the flood's log in PostgreSQL. */
@OnPostgresql
class LiveFanOutOnPostgresqlTest extends LiveFanOutTest {
}
