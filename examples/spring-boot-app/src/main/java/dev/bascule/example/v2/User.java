package dev.bascule.example.v2;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user as the new release maps it: the column renamed, and a NOT NULL column added. */
@Entity
@Table(name = "users")
public class User {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "full_name", nullable = false)
    private String fullName;

    @Column(nullable = false)
    private String email;

    @Column(name = "email_domain", nullable = false)
    private String emailDomain;

    @Column(nullable = false)
    private int visits;

    protected User() {}

    public User(String fullName, String email) {
        this.fullName = fullName;
        setEmail(email);
    }

    public Long getId() { return id; }
    public String getFullName() { return fullName; }
    public void setFullName(String fullName) { this.fullName = fullName; }
    public String getEmail() { return email; }
    public String getEmailDomain() { return emailDomain; }
    public int getVisits() { return visits; }
    public void visit() { visits++; }

    public void setEmail(String email) {
        this.email = email;
        this.emailDomain = email.substring(email.indexOf('@') + 1);
    }
}
