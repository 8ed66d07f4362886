package dev.bascule.example.v2;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

public interface UserRepository extends JpaRepository<User, Long> {
    List<User> findTop5ByFullNameStartingWithOrderByIdDesc(String prefix);

    long countByEmailDomain(String emailDomain);
}
