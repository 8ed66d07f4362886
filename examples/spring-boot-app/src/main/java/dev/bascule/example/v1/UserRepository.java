package dev.bascule.example.v1;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

public interface UserRepository extends JpaRepository<User, Long> {
    List<User> findTop5ByNameStartingWithOrderByIdDesc(String prefix);
}
