package org.wikimedia.spiderpig.web;

import org.wikimedia.spiderpig.support.OnPostgresql;

/** {@link BadRequestCatalogueTest} again, with the jobs and prompts its requests refer to in PostgreSQL. */
@OnPostgresql
class BadRequestCatalogueOnPostgresqlTest extends BadRequestCatalogueTest {
}
