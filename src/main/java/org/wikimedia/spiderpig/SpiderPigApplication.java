package org.wikimedia.spiderpig;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SpiderPigApplication {

    public static void main(String[] args) {
        SpringApplication.run(SpiderPigApplication.class, args);
    }
}
