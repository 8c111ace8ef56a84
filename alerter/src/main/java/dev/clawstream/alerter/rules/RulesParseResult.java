package dev.clawstream.alerter.rules;

import java.util.List;
import java.util.Objects;

/** The outcome of {@link RulesParser#parse}: usable rules, or every fault found in the file. */
public sealed interface RulesParseResult {

    record Valid(RuleSet rules) implements RulesParseResult {
        public Valid {
            Objects.requireNonNull(rules, "rules");
        }
    }

    /** At least one error, in file order. */
    record Invalid(List<RulesError> errors) implements RulesParseResult {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid file has at least one error");
            }
        }
    }
}
