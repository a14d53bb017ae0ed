package org.wikimedia.spiderpig.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which role each group gives (configuration: spiderpig.security.groups); a user holds their groups' highest. */
public class GroupRoles {

    private final Map<String, Role> roles = new LinkedHashMap<>();

    public GroupRoles(Map<String, String> groupToRole) {
        groupToRole.forEach((group, role) -> roles.put(group, Role.parse(role)));
    }

    /** The groups that give a role. */
    public Set<String> groups() {
        return roles.keySet();
    }

    /** The highest role of these groups, or null when none of them gives one. */
    public Role highest(List<String> groups) {
        return groups.stream().map(roles::get).filter(r -> r != null).max(Enum::compareTo).orElse(null);
    }
}
