package org.wikimedia.spiderpig.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wikimedia.spiderpig.config.SpiderPigProperties;

@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    UserResolver userResolver(SpiderPigProperties properties) {
        return new LocalUserResolver(properties.getUsers().getLocalUser());
    }

    @Bean
    CurrentUser currentUser(UserResolver resolver) {
        return new CurrentUser(resolver);
    }
}
