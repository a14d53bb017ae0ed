package org.wikimedia.spiderpig.web;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link StepsAndCancelNotesTest} again, with steps and cancel notes in PostgreSQL. */
@OnPostgresql
class StepsAndCancelNotesOnPostgresqlTest extends StepsAndCancelNotesTest {
}
