package org.wikimedia.spiderpig.masking;

import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.json.EventJson;

/** The masked wire JSON of an event, as UTF-8: what an SSE message carries in {@code data:}. */
public final class MaskedEventJson {

    private final EventMasker masker;
    private final EventJson json;

    public MaskedEventJson(EventMasker masker, EventJson json) {
        this.masker = masker;
        this.json = json;
    }

    public byte[] wire(JobEvent event) {
        return json.toWireBytes(masker.mask(event));
    }
}
