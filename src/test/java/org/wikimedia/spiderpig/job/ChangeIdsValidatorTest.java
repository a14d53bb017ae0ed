package org.wikimedia.spiderpig.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeIdsValidatorTest {

    private final ChangeIdsValidator validator = new ChangeIdsValidator();

    @ParameterizedTest
    @ValueSource(strings = {
            "67890",
            " 67890 ",
            "https://gerrit.wikimedia.org/r/c/mediawiki/core/+/67890",
            "https://gerrit.wikimedia.org/r/c/mediawiki/core/+/67890/",
            "https://gerrit.wikimedia.org/r/c/mediawiki/core/+/67890/3",
            "https://gerrit.wikimedia.org/r/c/operations/mediawiki-config/+/67890/2/wmf-config/x.php",
            "https://gerrit.wikimedia.org/r/67890",
            "https://gerrit.wikimedia.org/r/#/c/67890/",
            "https://gerrit.wikimedia.org/r/c/67890",
            "http://gerrit.example.org/c/project/+/67890?tab=comments",
    })
    void numbersAndGerritUrlsBecomeChangeNumbers(String given) {
        assertThat(ChangeIdsValidator.normalise(given)).contains("67890");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-5", "12a", "abc", "1234567890", "https://example.org/", "12 34",
            "https://gerrit.wikimedia.org/r/c/mediawiki/core/+/abc", "ftp://gerrit/+/123"})
    void otherTextIsNotAChange(String given) {
        assertThat(ChangeIdsValidator.normalise(given)).isEmpty();
    }

    @Test
    void duplicatesAreFoldedInFirstPositionAndBecomeArguments() {
        var valid = validator.validate(Map.of("changeIds",
                List.of("12345", "https://gerrit.wikimedia.org/r/c/mediawiki/core/+/67890", "12345", "67890")));

        assertThat(valid.parameters()).isEqualTo(Map.of("changeIds", List.of("12345", "67890")));
        assertThat(valid.arguments()).containsExactly("12345", "67890");
        assertThat(valid.summary()).isEqualTo("12345, 67890");
    }

    @Test
    void everyBadValueIsListedWithItsReason() {
        assertThatThrownBy(() -> validator.validate(Map.of("changeIds", List.of("abc", "123", "", 5.5))))
                .isInstanceOfSatisfying(InvalidParametersException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    @SuppressWarnings("unchecked")
                    var errors = (List<InvalidParametersException.FieldError>) e.properties().get("errors");
                    assertThat(errors).extracting(InvalidParametersException.FieldError::field)
                            .containsExactly("parameters.changeIds[0]", "parameters.changeIds[2]", "parameters.changeIds[3]");
                    assertThat(e.detail()).contains("\"abc\"").contains("not a Gerrit change number");
                });
    }

    @Test
    void needsOneToTwentyChanges() {
        assertThatThrownBy(() -> validator.validate(Map.of("changeIds", List.of())))
                .hasMessageContaining("at least one");
        List<Object> many = new ArrayList<>(IntStream.rangeClosed(1, 21).mapToObj(String::valueOf).toList());
        assertThatThrownBy(() -> validator.validate(Map.of("changeIds", many)))
                .hasMessageContaining("at most 20");
        many.set(20, "1");
        assertThat(validator.validate(Map.of("changeIds", many)).arguments()).hasSize(20);
    }

    @Test
    void missingOrMistypedListAndUnknownParametersAreRefused() {
        assertThatThrownBy(() -> validator.validate(Map.of())).hasMessageContaining("must be a list");
        assertThatThrownBy(() -> validator.validate(Map.of("changeIds", "12345"))).hasMessageContaining("must be a list");
        assertThatThrownBy(() -> validator.validate(Map.of("changeIds", List.of("1"), "force", true)))
                .hasMessageContaining("not a parameter");
    }

    @Test
    void wholeJsonNumbersAreAccepted() {
        assertThat(validator.validate(Map.of("changeIds", List.of(12345))).arguments()).containsExactly("12345");
    }
}
