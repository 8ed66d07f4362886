package dev.bascule.example.v1;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/** What the old release does with users: sign-ups, profile edits, lookups. */
@Service
public class UserService {
    private final UserRepository users;

    public UserService(UserRepository users) {
        this.users = users;
    }

    @Transactional
    public long register(String name, String email) {
        return users.save(new User(name, email)).getId();
    }

    /** Renames a user and counts a visit; false when there is no such user. */
    @Transactional
    public boolean rename(long id, String name) {
        return users.findById(id).map(u -> {
            u.setName(name);
            u.visit();
            return true;
        }).orElse(false);
    }

    @Transactional(readOnly = true)
    public List<String> namesStartingWith(String prefix) {
        return users.findTop5ByNameStartingWithOrderByIdDesc(prefix).stream().map(User::getName).toList();
    }
}
