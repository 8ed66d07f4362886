package dev.bascule.example.v2;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/** What the new release does with users: the same work under the new names, plus the domain. */
@Service
public class UserService {
    private final UserRepository users;

    public UserService(UserRepository users) {
        this.users = users;
    }

    @Transactional
    public long register(String fullName, String email) {
        return users.save(new User(fullName, email)).getId();
    }

    /** Renames a user and counts a visit; false when there is no such user. */
    @Transactional
    public boolean rename(long id, String fullName) {
        return users.findById(id).map(u -> {
            u.setFullName(fullName);
            u.visit();
            return true;
        }).orElse(false);
    }

    @Transactional(readOnly = true)
    public List<String> namesStartingWith(String prefix) {
        return users.findTop5ByFullNameStartingWithOrderByIdDesc(prefix).stream().map(User::getFullName).toList();
    }

    @Transactional(readOnly = true)
    public long countInDomain(String domain) {
        return users.countByEmailDomain(domain);
    }
}
