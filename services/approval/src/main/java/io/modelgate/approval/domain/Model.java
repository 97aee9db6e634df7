package io.modelgate.approval.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.modelgate.events.FunctionType;

/** A model in the library: what it is and does; its versions are the images that carry it. */
@Entity
@Table(name = "model")
public class Model {

    @Id
    public UUID id;

    public String name;

    public String publisher;

    public String description;

    /** Stored as {@code ,CHAT,EMBEDDING,}: see {@link #functionTypes()}. */
    @Column(name = "function_types")
    public String functionTypesColumn = ",";

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public List<FunctionType> functionTypes() {
        List<FunctionType> types = new ArrayList<>();
        for (String value : functionTypesColumn.split(",")) {
            if (!value.isEmpty()) {
                types.add(FunctionType.valueOf(value));
            }
        }
        return types;
    }

    public void functionTypes(Collection<FunctionType> types) {
        StringBuilder column = new StringBuilder(",");
        Arrays.stream(FunctionType.values())
                .filter(types::contains)
                .forEach(type -> column.append(type.name()).append(','));
        functionTypesColumn = column.toString();
    }
}
