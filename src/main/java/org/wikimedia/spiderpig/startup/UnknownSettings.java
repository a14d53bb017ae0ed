package org.wikimedia.spiderpig.startup;

import java.util.Comparator;
import java.util.List;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.wikimedia.spiderpig.config.SpiderPigProperties;

/**
 * {@code spiderpig.*} keys that no setting takes: a typo in a key would otherwise do nothing, silently.
 * Found as Spring Boot finds them for {@code ignoreUnknownFields = false}, but reported, not fatal.
 */
final class UnknownSettings {

    private UnknownSettings() {
    }

    /** Each unknown key with where it was set (file and line, argument, environment variable). */
    static List<String> in(Binder binder) {
        try {
            binder.bind("spiderpig", Bindable.of(SpiderPigProperties.class),
                    new NoUnboundElementsBindHandler(BindHandler.DEFAULT, new UnboundElementsSourceFilter()));
            return List.of();
        } catch (BindException e) {
            if (e.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
                return unbound.getUnboundProperties().stream()
                        .sorted(Comparator.comparing(property -> property.getName().toString()))
                        .map(UnknownSettings::describe)
                        .toList();
            }
            // A value that does not convert: the real binding reports it, with the key.
            return List.of();
        }
    }

    private static String describe(ConfigurationProperty property) {
        return property.getName() + (property.getOrigin() == null ? "" : " (from " + property.getOrigin() + ")");
    }
}
