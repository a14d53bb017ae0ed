package org.wikimedia.spiderpig.web;

import org.wikimedia.spiderpig.support.OnPostgresql;

/**
 * {@link ScriptingRecipeTest} again with the server's records in PostgreSQL: a simulated backport started, followed,
 * its prompts answered, succeeded, its answers listed.
 */
@OnPostgresql
class ScriptingRecipeOnPostgresqlTest extends ScriptingRecipeTest {
}
