package dev.machina.hw.core;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found while building a {@link ModelCatalog}, one per line. No stack trace is captured. */
public final class ModelCatalogException extends RuntimeException {
    private final transient List<ModelCatalogError> errors;

    public ModelCatalogException(List<ModelCatalogError> errors) {
        super(errors.stream().map(ModelCatalogError::message).collect(Collectors.joining("\n")), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<ModelCatalogError> errors() {
        return errors;
    }
}
