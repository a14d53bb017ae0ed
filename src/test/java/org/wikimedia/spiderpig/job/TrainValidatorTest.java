package org.wikimedia.spiderpig.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.job.InvalidParametersException.FieldError;

class TrainValidatorTest {

    private final TrainValidator validator = new TrainValidator();

    private static Map<String, Object> promotion(String group, Object excluded) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("group", group);
        parameters.put("version", "1.45.0-wmf.4");
        parameters.put("oldVersion", "1.45.0-wmf.3");
        if (excluded != null) {
            parameters.put("excludedWikis", excluded);
        }
        return parameters;
    }

    @Test
    void aPromotionBecomesDeployPromotesArguments() {
        var valid = validator.validate(promotion("group1", List.of("enwiki", "de_wiki-2", "enwiki")));

        assertThat(valid.arguments()).containsExactly("--yes", "--train", "--old-version", "1.45.0-wmf.3",
                "--exclude-wikis", "enwiki,de_wiki-2", "--", "group1", "1.45.0-wmf.4");
        assertThat(valid.parameters()).containsEntry("group", List.of("group1"))
                .containsEntry("excludedWikis", List.of("enwiki", "de_wiki-2"));
        assertThat(valid.summary()).isEqualTo("group1 to 1.45.0-wmf.4 (except enwiki, de_wiki-2)");
    }

    @Test
    void withoutExclusionsThereIsNoExcludeOption() {
        assertThat(validator.validate(promotion("all", null)).arguments())
                .containsExactly("--yes", "--train", "--old-version", "1.45.0-wmf.3", "--", "all", "1.45.0-wmf.4");
    }

    @Test
    void storedParametersValidateToTheSameArguments() {
        var valid = validator.validate(promotion("testwikis", List.of("testwiki")));
        var again = validator.validate(new HashMap<>(valid.parameters()));

        assertThat(again.arguments()).isEqualTo(valid.arguments());
    }

    @Test
    void everyBadValueIsListedInOneProblem() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("group", "group9");
        parameters.put("version", "master");
        parameters.put("oldVersion", 45);
        parameters.put("excludedWikis", List.of("enwiki", "en wiki", "x;rm -rf", 7));
        parameters.put("force", true);

        assertThatThrownBy(() -> validator.validate(parameters))
                .isInstanceOfSatisfying(InvalidParametersException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    @SuppressWarnings("unchecked")
                    var errors = (List<FieldError>) e.properties().get("errors");
                    assertThat(errors).extracting(FieldError::field).containsExactly("parameters.force",
                            "parameters.group", "parameters.version", "parameters.oldVersion",
                            "parameters.excludedWikis[1]", "parameters.excludedWikis[2]", "parameters.excludedWikis[3]");
                    assertThat(e.detail()).startsWith("7 parameters are not valid");
                });
    }

    @Test
    void missingValuesAndTheSameVersionTwiceAreErrors() {
        assertThatThrownBy(() -> validator.validate(Map.of()))
                .isInstanceOfSatisfying(InvalidParametersException.class, e -> assertThat(e.detail())
                        .contains("parameters.group is missing", "parameters.version is missing",
                                "parameters.oldVersion is missing"));
        Map<String, Object> same = promotion("group0", "enwiki");
        same.put("oldVersion", "1.45.0-wmf.4");
        assertThatThrownBy(() -> validator.validate(same))
                .isInstanceOfSatisfying(InvalidParametersException.class, e -> assertThat(e.detail())
                        .contains("\"1.45.0-wmf.4\" is the version being promoted", "must be a list of wiki names"));
    }
}
