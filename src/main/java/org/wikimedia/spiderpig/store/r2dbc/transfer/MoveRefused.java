package org.wikimedia.spiderpig.store.r2dbc.transfer;

/** The move would not be safe, and nothing was copied: the message says why and what to do instead. */
final class MoveRefused extends RuntimeException {

    MoveRefused(String message) {
        super(message);
    }
}
